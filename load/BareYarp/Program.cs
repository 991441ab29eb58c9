using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// The "what does YARP cost" reference: Kestrel TLS termination and MapForwarder to one backend, nothing else.
// usage: bareyarp --listen 127.0.0.1:PORT --cert cert.pem --key key.pem --backend http://127.0.0.1:PORT
Dictionary<string, string> options = new(StringComparer.Ordinal);
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

string[] required = ["--listen", "--cert", "--key", "--backend"];
string[] missing = required.Where(r => !options.ContainsKey(r)).ToArray();
if (missing.Length > 0 || !IPEndPoint.TryParse(options.GetValueOrDefault("--listen", ""), out IPEndPoint? listen))
{
    Console.Error.WriteLine("usage: bareyarp --listen 127.0.0.1:PORT --cert cert.pem --key key.pem --backend http://127.0.0.1:PORT");
    return 2;
}

using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(options["--cert"], options["--key"]);
// Re-import so the private key is usable by SslStream on every platform.
using X509Certificate2 certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(args[..0]);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Listen(listen, lo =>
    {
        lo.Protocols = HttpProtocols.Http1AndHttp2;
        lo.UseHttps(certificate);
    });
});
builder.Services.AddHttpForwarder();

WebApplication app = builder.Build();
app.MapForwarder("/{**catch-all}", options["--backend"]);
await app.RunAsync();
return 0;
