using Send.BuildingBlocks.Data;
using Send.BuildingBlocks.Hosting;
using Send.EmailService.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, EmailDbContext>("emaildb");

var app = builder.Build();
app.UseSendService();

if (await app.RunDatabaseCommandAsync<EmailDbContext>(args))
{
    return;
}

await app.RunAsync();
