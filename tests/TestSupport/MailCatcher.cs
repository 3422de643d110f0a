using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;

namespace Send.TestSupport;

/// <summary>
/// smtp4dev (the repository's dotnet tool) as a real SMTP server the services deliver to, on
/// free ports with an in-memory store; its REST API shows what arrived, envelope included.
/// </summary>
public sealed class MailCatcher : IDisposable
{
    private readonly ExternalProcess _process;
    private readonly HttpClient _api;

    private MailCatcher(ExternalProcess process, int smtpPort, int webPort)
    {
        _process = process;
        SmtpPort = smtpPort;
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int SmtpPort { get; }

    /// <summary>What a service is given as <c>ConnectionStrings__smtp</c>.</summary>
    public string ConnectionString => $"smtp://127.0.0.1:{SmtpPort}";

    public static async Task<MailCatcher> StartAsync()
    {
        var (smtpPort, webPort) = (FreePort.Next(), FreePort.Next());
        var process = new ExternalProcess("smtp4dev", "dotnet",
            ["tool", "run", "smtp4dev", "--", $"--urls=http://127.0.0.1:{webPort}", $"--smtpport={smtpPort}",
             "--imapport=", "--pop3port=", "--db=", "--tlsmode=None", "--messagestokeep=100000"]);
        var catcher = new MailCatcher(process, smtpPort, webPort);
        await Eventually.Until(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"smtp4dev exited:\n{process.Output}");
            }

            try
            {
                using var response = await catcher._api.GetAsync(new Uri("/api/messages", UriKind.Relative));
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, up => up, TimeSpan.FromSeconds(90), "smtp4dev to start");
        return catcher;
    }

    /// <summary>Messages received so far: id, subject and every envelope recipient.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MessagesAsync()
    {
        var page = await _api.GetFromJsonAsync<JsonElement>(new Uri("/api/messages?pageSize=100000", UriKind.Relative));
        return [.. page.GetProperty("results").EnumerateArray().Select(m => new ReceivedMail(
            m.GetProperty("id").GetString()!,
            m.GetProperty("subject").GetString() ?? "",
            (m.GetProperty("deliveredTo").GetString() ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))];
    }

    /// <summary>The message exactly as it came over SMTP, parsed.</summary>
    public async Task<MimeMessage> RawAsync(string id)
    {
        await using var raw = await _api.GetStreamAsync(new Uri($"/api/messages/{id}/raw", UriKind.Relative));
        using var buffer = new MemoryStream();
        await raw.CopyToAsync(buffer);
        buffer.Position = 0;
        return await MimeMessage.LoadAsync(buffer);
    }

    public void Dispose()
    {
        _api.Dispose();
        _process.Dispose();
    }
}

public sealed record ReceivedMail(string Id, string Subject, IReadOnlyList<string> DeliveredTo);
