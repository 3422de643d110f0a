using Send.Gateway.ApiDocs;
using Send.Gateway.Authentication;
using Send.Gateway.Extensions;
using Send.Gateway.Proxy;
using Send.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayServices();

// The largest request is an email with 40 MB of attachments: about 54 MB as base64 in JSON.
// Services set their own limits; the Gateway only has to let such a request through.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 64L * 1024 * 1024);

var app = builder.Build();
app.UseSendErrorHandling();
app.UseInternalIdentityStripping();
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapReverseProxy(proxy => proxy.UseApiKeyAuthentication());

await app.RunAsync();
