using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EventService.Reputation;

namespace Send.EventService.Analytics;

public static class AnalyticsSetup
{
    public static IHostApplicationBuilder AddAnalytics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReputationOptions>().BindConfiguration(ReputationOptions.Section);
        builder.Services.AddScoped<ReputationMonitor>();
        builder.Services.AddScoped<EventRecorder>();
        return builder;
    }

    /// <summary>Every public email event, from EmailService's outbox, into the log, the rollups and the reputation check.</summary>
    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app, MessagingApp messagingApp)
    {
        app.MapPost("/events/email-events", async (ReceivedEvent received, EmailLifecycleEvent data, EventRecorder recorder, CancellationToken cancellationToken) =>
        {
            await recorder.RecordAsync(received.Id, data, cancellationToken);
            return SubscriptionResults.Success();
        }).WithSubscription(messagingApp, Topics.EmailEvents);
        app.MapAnalyticsApi();
        return app;
    }
}
