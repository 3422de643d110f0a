using Send.TestSupport;

namespace Send.Gateway.Tests;

/// <summary>One running platform shared by the Gateway tests: starting it is the slow part.</summary>
[CollectionDefinition(Name)]
public sealed class GatewayCluster : ICollectionFixture<SendCluster>
{
    public const string Name = "gateway";
}
