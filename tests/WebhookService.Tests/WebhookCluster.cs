using Send.TestSupport;

namespace Send.WebhookService.Tests;

/// <summary>
/// The platform with WebhookService allowed to reach receivers on 127.0.0.1 (the development
/// setting) and its retry schedule compressed from hours to seconds (about 21 s over the eight attempts).
/// </summary>
public sealed class WebhookCluster : SendCluster
{
    protected override IEnumerable<KeyValuePair<string, string?>> ServiceEnvironment(string folder) =>
        folder != "WebhookService" ? [] :
        [
            new("Outbound__AllowPrivateNetworks", "true"),
            new("Webhooks__PollInterval", "00:00:00.100"),
            new("Webhooks__RetrySchedule__0", "00:00:00.500"),
            new("Webhooks__RetrySchedule__1", "00:00:01"),
            new("Webhooks__RetrySchedule__2", "00:00:02"),
            new("Webhooks__RetrySchedule__3", "00:00:03"),
            new("Webhooks__RetrySchedule__4", "00:00:05"),
            new("Webhooks__RetrySchedule__5", "00:00:05"),
            new("Webhooks__RetrySchedule__6", "00:00:05"),
        ];
}

[CollectionDefinition(Name)]
public sealed class WebhookClusterDefinition : ICollectionFixture<WebhookCluster>
{
    public const string Name = "webhookservice";
}
