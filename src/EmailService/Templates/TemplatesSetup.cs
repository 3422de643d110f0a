using Send.Templating;

namespace Send.EmailService.Templates;

public static class TemplatesSetup
{
    public static IServiceCollection AddTemplates(this IServiceCollection services) => services
        .AddSingleton(new CompiledTemplateCache())
        .AddScoped<TemplateStore>()
        .AddScoped<TemplateContent>();
}
