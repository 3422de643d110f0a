using System.Net;
using System.Net.Http.Headers;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Send.BuildingBlocks.ApiKeys;
using Send.TestSupport;

namespace Send.AppHost.Tests;

/// <summary>
/// The local run command's app model, started for real: every service comes up healthy against
/// the PostgreSQL and Redis processes the app host starts itself, and the bootstrap key works
/// through the Gateway. Ports and the data folder are moved aside so a developer's own run
/// on the same machine is not disturbed.
/// </summary>
public sealed class LocalRunTests
{
    private static readonly string[] Services = ["keyservice", "emailservice", "eventservice", "webhookservice", "gateway"];

    [Fact]
    public async Task The_app_host_brings_every_service_up_healthy_and_the_bootstrap_key_works()
    {
        var data = Directory.CreateTempSubdirectory("send-apphost-").FullName;
        // PostgreSQL runs as its own user when the tests run as root: it must reach the folder.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        }
        var key = ApiKeyToken.Generate("live");
        string[] args =
        [
            $"LocalDataDirectory={data}",
            $"Ports:Redis={FreePort.Next()}",
            $"Ports:Postgres={FreePort.Next()}",
            $"Ports:Smtp={FreePort.Next()}",
            $"Ports:MailWeb={FreePort.Next()}",
            $"SEND_BOOTSTRAP_API_KEY={key}",
            "DcpPublisher:RandomizePorts=true",
        ];

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(args, timeout.Token);
        await using var app = await builder.BuildAsync(timeout.Token);
        try
        {
            await app.StartAsync(timeout.Token);
            foreach (var service in Services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(service, timeout.Token);
            }

            using var gateway = app.CreateHttpClient("gateway");
            gateway.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await gateway.GetAsync(new Uri("/v1/api-keys", UriKind.Relative), timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Contains(key[..16], body, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            Directory.Delete(data, recursive: true);
        }
    }
}
