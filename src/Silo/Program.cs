using Provisioning.ServiceDefaults;
using Provisioning.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.AddProvisioningSilo();
builder.AddSiloDashboard();

var app = builder.Build();
app.MapGet("/healthz", () => TypedResults.Ok(new { status = "up" }));

return await app.RunOrExplainAsync();
