using Microsoft.Extensions.Options;
using Send.BuildingBlocks.Outbound;

namespace Send.EmailService.Apis;

/// <summary>An attachment fetched from its <c>path</c> URL, or why it could not be.</summary>
public sealed record RemoteFile(byte[]? Content, string? ContentType, string? Problem);

/// <summary>
/// Fetches attachments given by URL (<c>attachments[].path</c>, as Resend accepts) when the
/// email is accepted, so a bad URL is a 422 naming it and the stored email is what is sent. The
/// fetch goes through <see cref="OutboundHttp"/>: public addresses only, checked at connect time
/// on every redirect; at most 40 MB per file; a few URLs at a time.
/// </summary>
public sealed class RemoteAttachments(IOptions<OutboundOptions> options, ILogger<RemoteAttachments> logger) : IDisposable
{
    private const int Parallel = 4;
    private readonly HttpClient _http = OutboundHttp.CreateClient(options.Value, followRedirects: true);

    public async Task<IReadOnlyDictionary<string, RemoteFile>> FetchAsync(IEnumerable<string> urls, CancellationToken cancellationToken)
    {
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, RemoteFile>(StringComparer.Ordinal);
        await System.Threading.Tasks.Parallel.ForEachAsync(urls.Distinct(StringComparer.Ordinal), new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken },
            async (url, token) => results[url] = await FetchOneAsync(url, token));
        return results;
    }

    private async Task<RemoteFile> FetchOneAsync(string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return new RemoteFile(null, null, "Must be an http or https URL without credentials.");
        }

        try
        {
            using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new RemoteFile(null, null, $"Fetching it answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            if (response.Content.Headers.ContentLength > EmailRules.MaxTotalBytes)
            {
                return TooLarge();
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > EmailRules.MaxTotalBytes)
                {
                    return TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }

            return new RemoteFile(buffer.ToArray(), response.Content.Headers.ContentType?.MediaType, null);
        }
        catch (HttpRequestException e) when (OutboundRefusedException.In(e) is { } refused)
        {
            logger.LogWarning("Refused to fetch attachment {Host}: {Reason}", uri.Host, refused.Message);
            return new RemoteFile(null, null, $"Send does not fetch from {uri.Host}: {refused.Message}");
        }
        catch (HttpRequestException e)
        {
            return new RemoteFile(null, null, $"Could not be fetched: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RemoteFile(null, null, $"{uri.Host} did not answer within {options.Value.Timeout.TotalSeconds:0} s.");
        }
    }

    private static RemoteFile TooLarge() => new(null, null, $"Larger than {EmailRules.MaxTotalBytes / (1024 * 1024)} MB.");

    public void Dispose() => _http.Dispose();
}
