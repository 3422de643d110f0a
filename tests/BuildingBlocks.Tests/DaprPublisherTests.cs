using System.Collections.Concurrent;
using System.Text.Json;
using Dapr.Client;
using Dapr.Client.Autogen.Grpc.v1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Send.BuildingBlocks.Messaging;
using Send.TestSupport;

namespace Send.BuildingBlocks.Tests;

/// <summary>
/// No daprd can run here, so the Dapr adapter is checked against a stand-in for the sidecar's
/// gRPC API: a real HTTP/2 server that decodes <c>dapr.proto.runtime.v1.Dapr/PublishEvent</c>
/// with Dapr's own protobuf types (Dapr.Protos) and records what the real DaprClient sent.
/// </summary>
public sealed class DaprPublisherTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<PublishEventRequest> _received = new();
    private readonly int _port = FreePort.Next();
    private WebApplication _sidecar = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(_port, o => o.Protocols = HttpProtocols.Http2));
        _sidecar = builder.Build();
        _sidecar.MapPost("/dapr.proto.runtime.v1.Dapr/PublishEvent", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            // gRPC framing: 1 byte compressed flag, 4 bytes length, then the protobuf message.
            _received.Enqueue(PublishEventRequest.Parser.ParseFrom(body.ToArray().AsSpan(5)));
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]); // an empty google.protobuf.Empty
            context.Response.AppendTrailer("grpc-status", "0");
        });
        await _sidecar.StartAsync();
    }

    public async Task DisposeAsync() => await _sidecar.DisposeAsync();

    [Fact]
    public async Task The_dapr_adapter_publishes_the_structured_cloudevent_to_the_component_and_topic()
    {
        using var dapr = new DaprClientBuilder().UseGrpcEndpoint($"http://localhost:{_port}").Build();
        var publisher = new DaprEventPublisher(dapr, "pubsub");
        var data = JsonDocument.Parse("""{"email_id":"send_1"}""").RootElement;
        var cloudEvent = new CloudEvent("0192f0c1-0000-7000-8000-000000000001", "Send.EmailService", "send.email.queued.v1",
            DateTimeOffset.UtcNow, data, "email-normal") { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };

        await publisher.PublishAsync(cloudEvent, CancellationToken.None);

        var request = Assert.Single(_received);
        Assert.Equal("pubsub", request.PubsubName);
        Assert.Equal("email-normal", request.Topic);
        Assert.Equal("application/cloudevents+json", request.DataContentType);
        var sent = JsonDocument.Parse(request.Data.ToByteArray()).RootElement;
        Assert.Equal("1.0", sent.GetProperty("specversion").GetString());
        Assert.Equal(cloudEvent.Id, sent.GetProperty("id").GetString());
        Assert.Equal("send.email.queued.v1", sent.GetProperty("type").GetString());
        Assert.Equal(cloudEvent.TraceParent, sent.GetProperty("traceparent").GetString());
        Assert.Equal("send_1", sent.GetProperty("data").GetProperty("email_id").GetString());
    }
}
