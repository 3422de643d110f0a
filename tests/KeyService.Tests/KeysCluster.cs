using Send.TestSupport;

namespace Send.KeyService.Tests;

[CollectionDefinition(Name)]
public sealed class KeysCluster : ICollectionFixture<SendCluster>
{
    public const string Name = "keys";
}
