using Microsoft.Extensions.FileProviders;

namespace Provisioning.Gateway.Dashboard;

public static class JobsDashboardExtensions
{
    /// <summary>
    /// Serves the jobs dashboard: static pages (<c>/</c> the jobs, <c>/job.html?id=...</c> one job) and their scripts and
    /// styles from the <c>wwwroot</c> folder next to the gateway's assembly, whatever the working directory. The pages
    /// read and act through the same <c>/api</c> endpoints as any client, so they need no rights of their own.
    /// </summary>
    public static IApplicationBuilder UseJobsDashboard(this IApplicationBuilder app)
    {
        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
