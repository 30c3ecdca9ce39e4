using Provisioning.Gateway.Api;
using Provisioning.Gateway.Callbacks;
using Provisioning.Gateway.Dashboard;
using Provisioning.Gateway.GitHubEvents;
using Provisioning.Gateway.Health;
using Provisioning.Gateway.Observability;
using Provisioning.Gateway.OpenApi;
using Provisioning.Gateway.Operators;
using Provisioning.Gateway.StripeWebhooks;
using Provisioning.ServiceDefaults;

namespace Provisioning.Gateway;

public static class GatewayExtensions
{
    /// <summary>
    /// The gateway's parts: the cluster client, health, Stripe webhooks, workflow callbacks, GitHub's run events,
    /// operator access, the job API and its OpenAPI document, the Orleans dashboard, and metrics, traces and logs.
    /// </summary>
    public static WebApplicationBuilder AddProvisioningGateway(this WebApplicationBuilder builder)
    {
        builder.Configuration.AddLogLevelDefaults();
        builder.AddProvisioningClusterClient();
        builder.AddGatewayStatementTimeout();
        builder.AddGatewayReadPool();
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthApi();
        builder.AddStripeWebhook();
        builder.AddWorkflowCallbacks();
        builder.AddGitHubEvents();
        builder.AddOperatorAccess();
        builder.Services.AddProvisioningApi();
        builder.AddDashboardData();
        builder.Services.AddProvisioningOpenApi();
        builder.AddOrleansDashboard();
        builder.AddGatewayTelemetry();
        return builder;
    }

    /// <summary>The middleware and every endpoint, in order: errors, the jobs dashboard's files, authentication, then the routes.</summary>
    public static WebApplication MapProvisioningGateway(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseJobsDashboard();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthApi();
        app.MapWebhooksApi();
        app.MapProvisioningApi();
        app.MapProvisioningOpenApi();
        app.MapDashboardSignIn();
        app.MapOrleansDashboardForOperators();
        app.MapGatewayMetrics();
        return app;
    }
}
