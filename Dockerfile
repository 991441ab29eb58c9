# Multi-stage build of the PolicyGate appliance (needs network access to NuGet and MCR; not built in CI here).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY PolicyGate.sln Directory.Build.props Directory.Packages.props ./
COPY src/PolicyGate.Core/PolicyGate.Core.csproj src/PolicyGate.Core/
COPY src/PolicyGate/PolicyGate.csproj src/PolicyGate/
RUN dotnet restore src/PolicyGate/PolicyGate.csproj
COPY src/ src/
RUN dotnet publish src/PolicyGate/PolicyGate.csproj -c Release -o /app --no-restore /p:UseAppHost=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN groupadd --system --gid 10001 policygate \
 && useradd --system --uid 10001 --gid policygate --home-dir /var/lib/policygate --shell /usr/sbin/nologin policygate \
 && mkdir -p /var/lib/policygate /etc/policygate/tenants \
 && chown policygate:policygate /var/lib/policygate && chmod 0700 /var/lib/policygate
WORKDIR /app
COPY --from=build /app ./
COPY config/policygate.toml /etc/policygate/policygate.toml.default
USER policygate
ENV DOTNET_gcServer=1
# edge (TLS), admin (loopback unless configured), metrics
EXPOSE 8443 9090
VOLUME ["/var/lib/policygate"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9090 && printf 'GET /healthz HTTP/1.0\\r\\n\\r\\n' >&3 && grep -q ' 200 ' <&3"]
ENTRYPOINT ["/app/policygate"]
CMD ["serve", "--config", "/etc/policygate/policygate.toml"]
