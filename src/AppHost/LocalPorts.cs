using Microsoft.Extensions.Configuration;

namespace Send.AppHost;

/// <summary>
/// Fixed local ports, so a developer's bookmarks and curl lines keep working between runs.
/// Each can be moved with configuration (e.g. <c>Ports__Postgres=55433</c>) when taken.
/// </summary>
internal sealed record LocalPorts(int Redis, int Postgres, int SmtpPort, int MailWeb)
{
    public static LocalPorts FromConfiguration(IConfiguration configuration) => new(
        configuration.GetValue("Ports:Redis", 6390),
        configuration.GetValue("Ports:Postgres", 5440),
        configuration.GetValue("Ports:Smtp", 2525),
        configuration.GetValue("Ports:MailWeb", 5080));
}
