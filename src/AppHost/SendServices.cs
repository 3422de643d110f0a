namespace Send.AppHost;

internal static class SendServices
{
    /// <summary>A Send service with its own database, the shared Redis and the internal-identity secret.</summary>
    public static IResourceBuilder<ProjectResource> AddSendService<TProject>(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<IResourceWithConnectionString> database, IResourceBuilder<IResourceWithConnectionString> redis, string identitySecret)
        where TProject : IProjectMetadata, new() =>
        builder.AddProject<TProject>(name)
            .WithReference(database)
            .WithReference(redis)
            .WithEnvironment("Send__InternalIdentity__Secret", identitySecret)
            .WithHttpHealthCheck("/health/ready");
}
