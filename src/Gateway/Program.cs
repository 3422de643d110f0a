using Send.Gateway.ApiDocs;
using Send.Gateway.Authentication;
using Send.Gateway.Extensions;
using Send.Gateway.Proxy;
using Send.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();
app.UseSendErrorHandling();
app.UseInternalIdentityStripping();
app.MapDefaultEndpoints();
app.MapApiDocs();
app.MapReverseProxy(proxy => proxy.UseApiKeyAuthentication());

await app.RunAsync();
