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
        app.MapPost("/events/email-events", async (BulkDelivery bulk, EventRecorder recorder, CancellationToken cancellationToken) =>
        {
            // One transaction for the batch: it is recorded whole or retried whole (the inbox makes the retry exact).
            await recorder.RecordAsync([.. bulk.Entries.Select(e => (e.EventId, e.Data<EmailLifecycleEvent>()))], cancellationToken);
            var answers = new BulkAnswers();
            foreach (var entry in bulk.Entries)
            {
                answers.Success(entry);
            }

            return answers.ToResult();
        }).WithBulkSubscription(messagingApp, Topics.EmailEvents);
        app.MapAnalyticsApi();
        return app;
    }
}
