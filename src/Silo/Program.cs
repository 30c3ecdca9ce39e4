using Provisioning.ServiceDefaults;
using Provisioning.ServiceDefaults.Telemetry;
using Provisioning.Silo;

// Configuration files are read once, not watched: ./run.sh keeps logs and data under the content root, and a watcher
// would wake on every write there.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddProvisioningSilo();
builder.AddSiloDashboard();
builder.AddProvisioningTelemetry("provisioning-silo");

var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Ok(new { status = "up" }));
// Open, like /healthz: a silo's HTTP port is internal (docs/observability.md).
app.MapProvisioningMetrics();

return await app.RunOrExplainAsync();
