using Send.BuildingBlocks.Hosting;
using Send.EmailService.Data;
using Send.Contracts;

var builder = WebApplication.CreateBuilder(args);
builder.AddSendService<WebApplicationBuilder, EmailDbContext>("emaildb", AppIds.EmailService);

var app = builder.Build();
app.UseSendService<EmailDbContext>();

if (await app.RunSendCommandAsync<EmailDbContext>(args))
{
    return;
}

await app.RunAsync();
