namespace Send.EventService.Ingestion.Ses;

/// <summary>
/// The one HTTP client that talks to SNS (signing certificates, subscription URLs). It follows no
/// redirects, so an allowlisted URL cannot lead anywhere else, reads at most 64 KB, and checks
/// TLS against <see cref="SnsTrust"/>. Not the factory's client: its retries and service
/// discovery are for Send's own services.
/// </summary>
public sealed class SnsHttp : IDisposable
{
    public SnsHttp(SnsTrust trust)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (trust.HasCustomRoot)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => trust.IsTrustedServer(certificate, errors);
        }

        Client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15), MaxResponseContentBufferSize = 64 * 1024 };
    }

    public HttpClient Client { get; }

    public void Dispose() => Client.Dispose();
}
