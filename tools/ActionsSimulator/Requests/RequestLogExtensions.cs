namespace Provisioning.ActionsSimulator.Requests;

public static class RequestLogExtensions
{
    /// <summary>Logs the requests to the GitHub-facing endpoints (see <see cref="RequestLogMiddleware"/>).</summary>
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app) => app.UseMiddleware<RequestLogMiddleware>();
}
