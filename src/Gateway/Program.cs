using Provisioning.Gateway;
using Provisioning.Gateway.Health;
using Provisioning.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddProvisioningClusterClient();
builder.Services.AddProblemDetails();
builder.Services.AddHealthApi();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealthApi();

return await app.RunOrExplainAsync();
