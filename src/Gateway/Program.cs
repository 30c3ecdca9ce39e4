using Provisioning.Gateway;
using Provisioning.ServiceDefaults;

// The HTTP face of the provisioning cluster: webhooks, callbacks, the job API, dashboards and health.
var builder = WebApplication.CreateBuilder(args);
builder.AddProvisioningGateway();

var app = builder.Build();
app.MapProvisioningGateway();

return await app.RunOrExplainAsync();
