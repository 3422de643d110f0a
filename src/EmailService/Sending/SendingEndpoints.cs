using System.Text.Json;
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

        // In bulk: a chunk of emails is leased, loaded and settled in a few statements, and its
        // messages go to the provider together (see EmailSender).
        var chunk = options?.BatchSize ?? new SendingOptions().BatchSize;
        app.MapPost("/events/email-send", Handle).WithBulkSubscription(messagingApp, Topics.EmailSend, chunk);
        app.MapPost("/events/email-send-priority", Handle).WithBulkSubscription(messagingApp, Topics.EmailSendPriority, chunk, highPriority: true);
        return app;
    }

    private static async Task<IResult> Handle(BulkDelivery bulk, EmailSender sender, ILogger<EmailSender> logger, CancellationToken cancellationToken)
    {
        var queued = new List<(BulkDeliveryEntry Entry, string EmailId)>();
        var answers = new BulkAnswers();
        foreach (var entry in bulk.Entries)
        {
            try
            {
                queued.Add((entry, entry.Data<EmailQueued>().EmailId));
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
            {
                // Never dropped: retried until the transport dead-letters it, where an operator sees it.
                logger.LogError("Send queue entry {Entry} is not an EmailQueued event: {Error}", entry.EntryId, ex.Message);
                answers.Retry(entry);
            }
        }

        var steps = await sender.SendAsync([.. queued.Select(q => q.EmailId)], cancellationToken);
        foreach (var (entry, emailId) in queued)
        {
            if (steps[emailId] == SendStep.Done)
            {
                answers.Success(entry);
            }
            else
            {
                answers.Retry(entry);
            }
        }

        return answers.ToResult();
    }

    public static IHostApplicationBuilder AddSendingWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SendingOptions>().BindConfiguration(SendingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
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
