using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Send.BuildingBlocks.Outbound;
using Send.TestSupport;

namespace Send.BuildingBlocks.Tests.Outbound;

/// <summary>
/// Customer-supplied URLs reach only public addresses: the policy's ranges, and the HTTP client
/// that enforces it where it connects (so a name or a redirect cannot lead around it).
/// </summary>
public sealed class OutboundTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void Private_loopback_link_local_CGNAT_metadata_and_disguised_addresses_are_refused(string address) =>
        Assert.NotNull(OutboundAddressPolicy.Refusal(IPAddress.Parse(address), new OutboundOptions()));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::6810:85e5")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.Null(OutboundAddressPolicy.Refusal(IPAddress.Parse(address), new OutboundOptions()));

    [Fact]
    public void The_development_switch_and_single_allowed_addresses_open_exactly_what_they_name()
    {
        Assert.Null(OutboundAddressPolicy.Refusal(IPAddress.Loopback, new OutboundOptions { AllowPrivateNetworks = true }));
        var one = new OutboundOptions { AllowedAddresses = ["127.0.0.2"] };
        Assert.Null(OutboundAddressPolicy.Refusal(IPAddress.Parse("127.0.0.2"), one));
        Assert.NotNull(OutboundAddressPolicy.Refusal(IPAddress.Parse("127.0.0.1"), one));
    }

    [Fact]
    public async Task The_client_refuses_loopback_by_address_and_by_name_and_a_redirect_from_an_allowed_server_to_a_refused_one()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.2:{port}", $"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        await using var server = builder.Build();
        server.MapGet("/file", () => "contents");
        server.MapGet("/bounce", () => Results.Redirect($"http://127.0.0.1:{port}/file"));
        await server.StartAsync();
        using var client = OutboundHttp.CreateClient(new OutboundOptions { AllowedAddresses = ["127.0.0.2"] }, followRedirects: true);

        Assert.Equal("contents", await client.GetStringAsync(new Uri($"http://127.0.0.2:{port}/file")));
        foreach (var refused in new[] { $"http://127.0.0.1:{port}/file", $"http://localhost:{port}/file", $"http://127.0.0.2:{port}/bounce" })
        {
            var error = await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetStringAsync(new Uri(refused)));
            Assert.True(Chain(error).OfType<OutboundRefusedException>().Any(), $"{refused}: {error}");
        }
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
