using Send.BuildingBlocks.Messaging.Subscribing;
using Send.Contracts;
using Send.Contracts.Events;
using Send.EmailService.Sending.Providers;

namespace Send.EmailService.Sending;

/// <summary>The delivery worker's subscriptions: normal and priority queues, priority drained first.</summary>
public static class SendingEndpoints
{
    public static IEndpointRouteBuilder MapSendingWorker(this IEndpointRouteBuilder app, MessagingApp messagingApp)
    {
        // Without the subscriptions /dapr/subscribe does not list the send topics, so neither
        // daprd nor the local transport hands this process any send.
        var options = app.ServiceProvider.GetRequiredService<IConfiguration>().GetSection(SendingOptions.SectionName).Get<SendingOptions>();
        if (options?.Worker == false)
        {
            return app;
        }

        app.MapPost("/events/email-send", Handle).WithSubscription(messagingApp, Topics.EmailSend);
        app.MapPost("/events/email-send-priority", Handle).WithSubscription(messagingApp, Topics.EmailSendPriority, highPriority: true);
        return app;
    }

    private static async Task<IResult> Handle(EmailQueued queued, EmailSender sender, CancellationToken cancellationToken) =>
        await sender.SendAsync(queued.EmailId, cancellationToken) == SendStep.Done
            ? SubscriptionResults.Success()
            : SubscriptionResults.Retry();

    public static IHostApplicationBuilder AddSendingWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SendingOptions>().BindConfiguration(SendingOptions.SectionName);
        builder.Services.AddProviders(builder.Configuration);
        builder.Services.AddSingleton<SenderIdentity>();
        builder.Services.AddScoped<EmailSender>();
        builder.Services.AddScoped<Apis.IdempotencyKeys>();
        builder.Services.AddSingleton<Apis.GroupCommit>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Apis.GroupCommit>());
        builder.Services.AddHostedService<EmailScheduler>();
        return builder;
    }
}
