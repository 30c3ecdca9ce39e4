using Provisioning.Gateway;
using Provisioning.Gateway.Api;
using Provisioning.Gateway.Health;
using Provisioning.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddProvisioningClusterClient();
builder.Services.AddProblemDetails();
builder.Services.AddHealthApi();
builder.Services.AddProvisioningApi();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthApi();
app.MapProvisioningApi();

return await app.RunOrExplainAsync();
