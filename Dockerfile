# Multi-stage build of the PolicyGate appliance: docker build -t policygate:0.1.0 .
# Base images are pinned to exact patch tags (SDK 10.0.401, ASP.NET Core runtime 10.0.12, the versions this repository
# is built and tested with). Their digests could not be resolved offline when this file was written: pin them with
# `docker buildx imagetools inspect mcr.microsoft.com/dotnet/aspnet:10.0.12` → FROM ...:10.0.12@sha256:<digest>.
FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
COPY PolicyGate.sln Directory.Build.props Directory.Packages.props ./
COPY src/PolicyGate.Core/PolicyGate.Core.csproj src/PolicyGate.Core/
COPY src/PolicyGate/PolicyGate.csproj src/PolicyGate/
RUN dotnet restore src/PolicyGate/PolicyGate.csproj
COPY src/ src/
RUN dotnet publish src/PolicyGate/PolicyGate.csproj -c Release -o /app --no-restore /p:UseAppHost=true

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
RUN groupadd --system --gid 10001 policygate \
 && useradd --system --uid 10001 --gid policygate --home-dir /var/lib/policygate --shell /usr/sbin/nologin policygate \
 && mkdir -p /var/lib/policygate /etc/policygate/tls \
 && chown policygate:policygate /var/lib/policygate && chmod 0700 /var/lib/policygate
WORKDIR /var/lib/policygate
COPY --from=build /app /app
COPY deploy/docker/policygate.toml /etc/policygate/policygate.toml
COPY config/tenants/ /etc/policygate/tenants/
USER 10001:10001
ENV DOTNET_gcServer=1
# edge (TLS, 0.0.0.0 in the image config), metrics/health (0.0.0.0); the admin API stays on loopback.
EXPOSE 8443 9090
VOLUME ["/var/lib/policygate"]
# Ready, not merely alive: a node that never becomes ready (no certificate, store down) is reported unhealthy.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9090 && printf 'GET /readyz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/app/policygate"]
CMD ["serve", "--config", "/etc/policygate/policygate.toml"]
