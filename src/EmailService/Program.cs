using Send.BuildingBlocks.Data;
using Send.EmailService.Data;
using Send.EmailService.Extensions;
using Send.ServiceDefaults;
using Send.ServiceDefaults.Identity;
using Send.ServiceDefaults.OpenApi;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.UseSendErrorHandling();
app.UseInternalIdentity();
app.MapDefaultEndpoints();
app.MapSendOpenApi();

if (await app.RunDatabaseCommandAsync<EmailDbContext>(args))
{
    return;
}

await app.RunAsync();
