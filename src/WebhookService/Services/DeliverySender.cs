using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Outbound;

namespace Send.WebhookService.Services;

/// <summary>What one POST came to: a status code (and the start of the body), or why no answer came.</summary>
public sealed record AttemptResult(DateTimeOffset At, int? StatusCode, int LatencyMs, string? Error, string? Response)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Makes one signed POST. The client is <see cref="OutboundHttp"/>'s: it connects only to
/// public addresses (checked after DNS, where the socket connects), follows no redirects (a
/// 3xx is a failure, never a hop to somewhere else), and gives up after the timeout. At most
/// <see cref="WebhookOptions.ResponseLimit"/> bytes of the answer are read.
/// </summary>
public sealed class DeliverySender(IOptions<WebhookOptions> options, IOptions<OutboundOptions> outbound, TimeProvider clock) : IDisposable
{
    private readonly HttpClient _http = new(OutboundHttp.CreateHandler(outbound.Value, followRedirects: false)) { Timeout = options.Value.Timeout };

    public async Task<AttemptResult> SendAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = WebhookSigner.Header(delivery.Secrets, delivery.Id, at.ToUnixTimeSeconds(), delivery.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json") };
        // Standard Webhooks' headers, and Svix's names for the same values, so code written for Resend verifies them.
        foreach (var prefix in new[] { "webhook", "svix" })
        {
            request.Headers.TryAddWithoutValidation($"{prefix}-id", delivery.Id);
            request.Headers.TryAddWithoutValidation($"{prefix}-timestamp", timestamp);
            request.Headers.TryAddWithoutValidation($"{prefix}-signature", signature);
        }

        request.Headers.UserAgent.ParseAdd("Send-Webhooks/1.0");
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = await ReadCappedAsync(response, cancellationToken);
            var status = (int)response.StatusCode;
            // Following would let a public endpoint point Send at an internal address; the receiver must answer itself.
            var error = status is >= 300 and < 400 ? $"redirect not followed: {status} to {response.Headers.Location?.ToString() ?? "(no Location)"}" : null;
            return new AttemptResult(at, status, Elapsed(watch), error, body);
        }
        catch (HttpRequestException ex) when (OutboundRefusedException.In(ex) is { } refusal)
        {
            return new AttemptResult(at, null, Elapsed(watch), "refused: " + refusal.Message, null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(at, null, Elapsed(watch), $"timeout: no answer within {options.Value.Timeout.TotalSeconds:0} s", null);
        }
        catch (HttpRequestException ex)
        {
            return new AttemptResult(at, null, Elapsed(watch), "connection: " + ex.Message, null);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> ReadCappedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[options.Value.ResponseLimit];
        var read = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
            {
                read += n;
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The status code is the answer; a body cut short changes nothing.
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static int Elapsed(Stopwatch watch) => (int)Math.Min(int.MaxValue, watch.ElapsedMilliseconds);
}
