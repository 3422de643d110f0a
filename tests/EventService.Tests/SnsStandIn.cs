using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Send.TestSupport;

namespace Send.EventService.Tests;

/// <summary>
/// SNS's side of the wire that EventService fetches from: an HTTPS server on 127.0.0.1 (its TLS
/// certificate issued by the test authority) serving signing certificates, as
/// <c>sns.&lt;region&gt;.amazonaws.com/SimpleNotificationService-….pem</c> does, and a
/// SubscribeURL that records each visit. EventService is told to allow exactly this host and
/// port; https stays required.
/// </summary>
public sealed class SnsStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _certificates = new();

    private SnsStandIn(WebApplication app, int port)
    {
        _app = app;
        Authority = $"127.0.0.1:{port}";
    }

    /// <summary>host:port, as EventService's allowlist names it.</summary>
    public string Authority { get; }

    /// <summary>Tokens of the subscription confirmations that were visited.</summary>
    public ConcurrentQueue<string> Confirmed { get; } = new();

    public static async Task<SnsStandIn> StartAsync(X509Certificate2 tls)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(tls)));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var standIn = new SnsStandIn(app, port);
        app.MapGet("/certificates/{name}", (string name) =>
            standIn._certificates.TryGetValue(name, out var pem) ? Results.Text(pem, "application/x-pem-file") : Results.NotFound());
        app.MapGet("/", (HttpContext context) =>
        {
            // SNS's confirmation is GET ?Action=ConfirmSubscription&TopicArn=…&Token=…
            if (context.Request.Query["Action"] != "ConfirmSubscription")
            {
                return Results.BadRequest();
            }

            standIn.Confirmed.Enqueue(context.Request.Query["Token"].ToString());
            return Results.Text("<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>arn:aws:sns:us-east-1:123456789012:send-events:1</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>", "text/xml");
        });
        await app.StartAsync();
        return standIn;
    }

    /// <summary>Serves <paramref name="certificate"/> and returns its https URL.</summary>
    public string Serve(string name, X509Certificate2 certificate)
    {
        _certificates[name] = certificate.ExportCertificatePem();
        return $"https://{Authority}/certificates/{name}";
    }

    public string SubscribeUrl(string topicArn, string token) =>
        $"https://{Authority}/?Action=ConfirmSubscription&TopicArn={Uri.EscapeDataString(topicArn)}&Token={Uri.EscapeDataString(token)}";

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
