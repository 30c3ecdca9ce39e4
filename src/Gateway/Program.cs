using Provisioning.Gateway;
using Provisioning.Gateway.Api;
using Provisioning.Gateway.Health;
using Provisioning.Gateway.Webhooks;
using Provisioning.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddProvisioningClusterClient();
builder.Services.AddProblemDetails();
builder.Services.AddHealthApi();
builder.AddStripeWebhook();
builder.Services.AddProvisioningApi();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthApi();
app.MapStripeWebhook();
app.MapProvisioningApi();

return await app.RunOrExplainAsync();
