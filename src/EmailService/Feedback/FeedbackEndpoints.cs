using Microsoft.EntityFrameworkCore;
using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EmailService.Data;

namespace Send.EmailService.Feedback;

/// <summary>What comes back after sending: provider events, and the reputation policy's pauses.</summary>
public static class FeedbackEndpoints
{
    public static IHostApplicationBuilder AddFeedback(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FeedbackOptions>().BindConfiguration(FeedbackOptions.Section);
        builder.Services.AddScoped<SuppressionList>();
        builder.Services.AddScoped<ProviderFeedback>();
        builder.Services.AddSingleton<UnsubscribeLinks>();
        return builder;
    }

    public static IEndpointRouteBuilder MapFeedback(this IEndpointRouteBuilder app, MessagingApp messagingApp)
    {
        app.MapPost("/events/provider-events", HandleProviderEvent).WithSubscription(messagingApp, Topics.ProviderEvents);
        app.MapPost("/events/organization-events", HandleOrganizationEvent).WithSubscription(messagingApp, Topics.OrganizationEvents);
        return app;
    }

    private static async Task<IResult> HandleProviderEvent(ReceivedEvent received, ProviderEventReceived data, ProviderFeedback feedback, CancellationToken cancellationToken) =>
        await feedback.ApplyAsync(received.Id, data, cancellationToken) switch
        {
            FeedbackOutcome.NotYet => SubscriptionResults.Retry(),
            FeedbackOutcome.Malformed => SubscriptionResults.Drop(),
            _ => SubscriptionResults.Success(),
        };

    /// <summary>Keeps the newest decision per organization; an older or repeated one changes nothing.</summary>
    private static async Task<IResult> HandleOrganizationEvent(OrganizationSendingChanged data, EmailDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO sending_pauses (organization_id, paused, reason, changed_at) VALUES ({data.OrganizationId}, {data.Paused}, {data.Reason}, {data.OccurredAt})
            ON CONFLICT (organization_id) DO UPDATE SET paused = excluded.paused, reason = excluded.reason, changed_at = excluded.changed_at
              WHERE sending_pauses.changed_at < excluded.changed_at
            """, cancellationToken);
        return SubscriptionResults.Success();
    }
}
