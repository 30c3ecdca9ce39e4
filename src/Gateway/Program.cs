using Provisioning.Gateway;
using Provisioning.Gateway.Api;
using Provisioning.Gateway.Callbacks;
using Provisioning.Gateway.Dashboard;
using Provisioning.Gateway.GitHubEvents;
using Provisioning.Gateway.Health;
using Provisioning.Gateway.Observability;
using Provisioning.Gateway.OpenApi;
using Provisioning.Gateway.Operators;
using Provisioning.Gateway.Webhooks;
using Provisioning.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddProvisioningClusterClient();
builder.Services.AddProblemDetails();
builder.Services.AddHealthApi();
builder.AddStripeWebhook();
builder.AddWorkflowCallbacks();
builder.AddGitHubEvents();
builder.AddOperatorAccess();
builder.Services.AddProvisioningApi();
builder.Services.AddProvisioningOpenApi();
builder.AddOrleansDashboard();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseJobsDashboard();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealthApi();
app.MapStripeWebhook();
app.MapWorkflowCallbacks();
app.MapGitHubEvents();
app.MapProvisioningApi();
app.MapProvisioningOpenApi();
app.MapOrleansDashboardForOperators();

return await app.RunOrExplainAsync();
