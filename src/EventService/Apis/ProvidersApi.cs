using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Send.EventService.Ingestion;
using Send.EventService.Ingestion.Resend;
using Send.EventService.Ingestion.Ses;
using Send.EventService.Ingestion.Smtp;
using Send.ServiceDefaults.Errors;

namespace Send.EventService.Apis;

/// <summary>
/// <c>/providers/*</c>: where providers report what happened to sent mail. The Gateway routes
/// these without an API key (providers have none); each endpoint instead believes only what it
/// can verify — SNS's signature, Resend's Svix signature, the bounce pipe's secret — and answers
/// anything else with a 4xx problem, publishing nothing. Not part of the public API document.
/// </summary>
public static class ProvidersApi
{
    /// <summary>An SNS message is at most 256 KB; a Resend event is smaller still.</summary>
    private const long JsonBodyLimit = 1024 * 1024;

    /// <summary>A bounce may return the whole original message.</summary>
    private const long DsnBodyLimit = 16 * 1024 * 1024;

    public static IEndpointRouteBuilder MapProvidersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/providers").ExcludeFromDescription();
        // Kestrel's limit is the DSN's for every route: a JSON body over its own limit is read to the
        // end and refused by ReadTextAsync, because a server that stops reading mid-upload makes the
        // Gateway answer 502 instead of passing on the 413.
        api.MapPost("/ses", Ses).WithMetadata(new RequestSizeLimitAttribute(DsnBodyLimit));
        api.MapPost("/resend", Resend).WithMetadata(new RequestSizeLimitAttribute(DsnBodyLimit));
        api.MapPost("/smtp/dsn", SmtpDsn).WithMetadata(new RequestSizeLimitAttribute(DsnBodyLimit));
        return app;
    }

    /// <summary>SES notifications through an SNS HTTPS subscription, and SNS's subscription handshake.</summary>
    public static Task<Results<Ok<IngestAnswer>, ProblemHttpResult>> Ses(
        HttpRequest request, SnsSignatureVerifier signatures, SnsSubscriptions subscriptions, ProviderEventOutbox outbox,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ProvidersApi));
        return Ingest(logger, "SES", async () =>
        {
            var message = SnsMessage.Parse(await ReadTextAsync(request, cancellationToken));
            await signatures.VerifyAsync(message, cancellationToken);
            switch (message.Type)
            {
                case SnsMessage.SubscriptionConfirmationType:
                    return new IngestAnswer(0, await subscriptions.ConfirmAsync(message, cancellationToken));
                case SnsMessage.UnsubscribeConfirmationType:
                    // Someone unsubscribed this endpoint; re-subscribing is an operator's decision, not ours.
                    logger.LogWarning("SNS reports this endpoint unsubscribed from {TopicArn}; SES events from it stop", message.TopicArn);
                    return new IngestAnswer(0, "Unsubscribe noted; not resubscribing.");
                default:
                    var events = SesNotificationParser.Parse(message.Message, message.MessageId, message.SentAt);
                    return new IngestAnswer(await outbox.PublishAsync(events, cancellationToken), events.Count == 0 ? "Nothing to record for this event type." : null);
            }
        });
    }

    /// <summary>Resend's webhooks, signed with Svix.</summary>
    public static async Task<Results<Ok<IngestAnswer>, ProblemHttpResult>> Resend(
        HttpRequest request, ResendSignature signature, ProviderEventOutbox outbox, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ProvidersApi));
        if (!signature.IsConfigured)
        {
            return Problems.NotFound("Resend webhooks are not enabled here (Providers:Resend:WebhookSecret is unset).");
        }

        return await Ingest(logger, "Resend", async () =>
        {
            var body = await ReadTextAsync(request, cancellationToken);
            signature.Verify(body, request.Headers);
            var events = ResendEventParser.Parse(body, request.Headers["svix-id"].ToString());
            return new IngestAnswer(await outbox.PublishAsync(events, cancellationToken), events.Count == 0 ? "Nothing to record for this event type." : null);
        });
    }

    /// <summary>Bounces (RFC 3464) piped by the MTA that receives mail for Send's return paths.</summary>
    public static async Task<Results<Ok<IngestAnswer>, ProblemHttpResult>> SmtpDsn(
        HttpRequest request, IOptions<DsnOptions> options, ProviderEventOutbox outbox, TimeProvider clock, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ProvidersApi));
        if (options.Value.DsnSecret is not { Length: > 0 } secret)
        {
            return Problems.NotFound("SMTP bounce intake is not enabled here (Providers:Smtp:DsnSecret is unset).");
        }

        return await Ingest(logger, "SMTP DSN", async () =>
        {
            var presented = Encoding.UTF8.GetBytes(request.Headers[DsnOptions.SecretHeader].ToString());
            if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(secret)))
            {
                throw ProviderPayloadException.BadSignature($"The {DsnOptions.SecretHeader} header is missing or wrong.");
            }

            if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), "message/rfc822", StringComparison.OrdinalIgnoreCase))
            {
                throw new ProviderPayloadException(StatusCodes.Status415UnsupportedMediaType, ProviderPayloadException.InvalidPayload,
                    "Post the received message as Content-Type: message/rfc822.");
            }

            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, cancellationToken);
            var events = DsnParser.Parse(body.ToArray(), clock.GetUtcNow());
            return new IngestAnswer(await outbox.PublishAsync(events, cancellationToken));
        });
    }

    /// <summary>One place that turns a refused callback into its problem answer and a log line.</summary>
    private static async Task<Results<Ok<IngestAnswer>, ProblemHttpResult>> Ingest(ILogger logger, string source, Func<Task<IngestAnswer>> work)
    {
        try
        {
            var answer = await work();
            logger.LogInformation("{Source} callback accepted: {Published} provider event(s) published{Note}", source, answer.Published,
                answer.Note is null ? "" : $" ({answer.Note})");
            return TypedResults.Ok(answer);
        }
        catch (ProviderPayloadException ex)
        {
            logger.LogWarning("{Source} callback refused with {Status} {Name}: {Reason}", source, ex.Status, ex.Name, ex.Message);
            return Problems.Of(ex.Status, ex.Name, ex.Message);
        }
    }

    private static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > JsonBodyLimit)
            {
                // Drain (bounded by Kestrel's limit) so the refusal reaches the caller intact.
                while (await request.Body.ReadAsync(chunk, cancellationToken) > 0)
                {
                }

                throw new ProviderPayloadException(StatusCodes.Status413PayloadTooLarge, "validation_error",
                    $"The body is larger than {JsonBodyLimit / 1024} KB; no provider event is that large.");
            }

            body.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
    }
}
