namespace Send.EmailService.Sending.Providers;

/// <summary>
/// Where test-key emails go: accepted, recorded on the email's timeline, never delivered. The
/// rest of the pipeline (status, events, webhooks) behaves as for a real send.
/// </summary>
public sealed class SandboxProvider : IEmailProvider
{
    public string Name => "sandbox";

    public Task<ProviderResult> SendAsync(OutgoingEmail email, CancellationToken cancellationToken) =>
        Task.FromResult(ProviderResult.Accepted($"sandbox-{Guid.NewGuid():N}"));
}
