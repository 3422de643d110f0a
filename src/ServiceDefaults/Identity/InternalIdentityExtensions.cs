using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Send.ServiceDefaults.Identity;

public static class InternalIdentityExtensions
{
    public static TBuilder AddInternalIdentity<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<InternalIdentityOptions>()
            .BindConfiguration(InternalIdentityOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<InternalIdentitySigner>();
        builder.Services.AddTransient<InternalIdentityHandler>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>Every request past this point carries a Gateway-verified <see cref="Caller"/>.</summary>
    public static IApplicationBuilder UseInternalIdentity(this IApplicationBuilder app) =>
        app.UseMiddleware<InternalIdentityMiddleware>();
}
