using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Send.EventService.Ingestion.Ses;

/// <summary>
/// SNS signing certificates by URL, fetched once and kept until they expire (at most a day), and
/// only once their chain was validated. SNS signs every message of a region with the same
/// certificate, so a burst of bounces costs one fetch.
/// </summary>
public sealed class SnsCertificates(SnsHttp http, SnsTrust trust, TimeProvider clock, ILogger<SnsCertificates> logger)
{
    private const int MaxEntries = 64;
    private static readonly TimeSpan KeepAtMost = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<string, (X509Certificate2 Certificate, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<X509Certificate2> GetAsync(string url, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(url, out var cached) && cached.Until > now)
        {
            return cached.Certificate;
        }

        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPem(Encoding.ASCII.GetString(await FetchAsync(url, cancellationToken)));
        if (certificates.Count == 0)
        {
            throw ProviderPayloadException.BadSignature("The SigningCertURL does not serve a PEM certificate.");
        }

        var leaf = certificates[0];
        certificates.RemoveAt(0);
        if (!trust.IsTrusted(leaf, certificates, out var error))
        {
            throw ProviderPayloadException.BadSignature($"The signing certificate does not chain to a trusted root: {error}");
        }

        if (_cache.Count >= MaxEntries)
        {
            // Only certificates that validated get here, so this is a backstop, not a policy.
            _cache.Clear();
        }

        var until = new[] { now + KeepAtMost, new DateTimeOffset(leaf.NotAfter.ToUniversalTime()) }.Min();
        _cache[url] = (leaf, until);
        logger.LogInformation("Fetched SNS signing certificate {Subject} from {Url}, valid until {NotAfter:o}", leaf.Subject, url, leaf.NotAfter.ToUniversalTime());
        return leaf;
    }

    private async Task<byte[]> FetchAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            return await http.Client.GetByteArrayAsync(new Uri(url), cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError)
        {
            throw ProviderPayloadException.BadSignature($"The SigningCertURL answered {(int)ex.StatusCode}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw ProviderPayloadException.Unavailable($"The SNS signing certificate could not be fetched ({ex.Message}); retry later.", ex);
        }
    }
}
