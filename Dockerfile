# Multi-stage build: the Go toolchain builds a static binary; the runtime
# image holds only that binary and runs it as a non-root user.
FROM golang:1.27.3 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o /out/polgraph ./cmd/polgraph

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/polgraph /usr/local/bin/polgraph
USER nonroot:nonroot
WORKDIR /home/nonroot
VOLUME /data
EXPOSE 8080
ENV POLGRAPH_DATA_DIR=/data \
    POLGRAPH_ADDR=0.0.0.0:8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD ["/usr/local/bin/polgraph", "healthcheck", "--url", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/polgraph"]
CMD ["serve"]
