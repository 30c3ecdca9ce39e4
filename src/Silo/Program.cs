using Provisioning.ServiceDefaults;
using Provisioning.ServiceDefaults.Telemetry;
using Provisioning.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.AddProvisioningSilo();
builder.AddSiloDashboard();
builder.AddProvisioningTelemetry("provisioning-silo");

var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Ok(new { status = "up" }));
// Open, like /healthz: a silo's HTTP port is internal (docs/observability.md).
app.MapProvisioningMetrics();

return await app.RunOrExplainAsync();
