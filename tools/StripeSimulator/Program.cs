using Provisioning.ServiceDefaults;
using Provisioning.StripeSimulator;
using Provisioning.StripeSimulator.Api;
using Provisioning.StripeSimulator.Control;

// A stand-in for Stripe's API on loopback: the Events and webhook endpoint endpoints, webhook deliveries signed as Stripe
// signs them, and fault knobs. See docs/stripe-simulator.md.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.AddStripeSimulator();

var app = builder.Build();
app.MapStripeSimulatorControl();
app.MapStripeApi();

return await app.RunOrExplainAsync();
