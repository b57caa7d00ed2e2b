# deployer's own image: deployer (serve, or any command) with the docker CLI beside it.
#   DOCKER_BUILDKIT=1 docker build -t deployer .
#   docker run -d --name deployer -v /var/run/docker.sock:/var/run/docker.sock \
#     -v "$PWD/deployer:/etc/deployer" -p 127.0.0.1:9955:9955 deployer
# Build with BuildKit: it skips the stages a build does not use. The testbed builds it from bases it
# can make (no registry on the internet): BASE and DOCKER_CLI its JRE image, JAR_STAGE=prebuilt to
# take target/deployer.jar instead of running Maven.
ARG BUILD_BASE=maven:3.9-eclipse-temurin-17
ARG BASE=eclipse-temurin:17-jre
ARG DOCKER_CLI=docker:27-cli
ARG JAR_STAGE=build

FROM ${BUILD_BASE} AS build
WORKDIR /src
COPY pom.xml ./
COPY src ./src
RUN mvn -q -B -DskipTests package

FROM scratch AS prebuilt
COPY target/deployer.jar /src/target/deployer.jar

FROM ${JAR_STAGE} AS jar
FROM ${DOCKER_CLI} AS cli

FROM ${BASE}
COPY --from=cli /usr/local/bin/docker /usr/local/bin/docker
COPY --from=jar /src/target/deployer.jar /opt/deployer/deployer.jar
EXPOSE 9955
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx256m", "-jar", "/opt/deployer/deployer.jar"]
CMD ["serve", "-c", "/etc/deployer/server.yml"]
