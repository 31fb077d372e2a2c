# Builds the polgraph binary and runs it on a minimal image.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /polgraph ./cmd/polgraph

FROM gcr.io/distroless/static-debian12
COPY --from=build /polgraph /polgraph
VOLUME /data
EXPOSE 8080
ENV POLGRAPH_DATA_DIR=/data POLGRAPH_ADDR=0.0.0.0:8080
ENTRYPOINT ["/polgraph"]
CMD ["serve"]
