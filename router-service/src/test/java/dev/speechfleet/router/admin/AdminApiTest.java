package dev.speechfleet.router.admin;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.speechfleet.core.redis.RedisStreams;
import dev.speechfleet.core.stream.StreamKeys;
import dev.speechfleet.core.testing.RedisTestResource;
import dev.speechfleet.router.device.DeviceTokens;
import dev.speechfleet.router.testing.Admin;
import dev.speechfleet.router.testing.Redis;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class AdminApiTest {

    @Inject
    RedisStreams redis;

    @BeforeEach
    void clean() {
        Redis.flush(redis);
    }

    @Test
    void createReturnsTheTokenOnceAndStoresOnlyItsHash() {
        String token = Admin.createDevice("kitchen-1");

        Map<String, String> stored = hash(StreamKeys.device("kitchen-1"));
        assertThat(token).startsWith("sfd_").hasSizeGreaterThan(40);
        assertThat(stored).containsEntry("token_hash", DeviceTokens.hash(token)).containsEntry("enabled", "1");
        assertThat(stored.values()).noneMatch(v -> v.contains(token));
        given().auth().oauth2(Admin.TOKEN).get("/admin/devices").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].device_id", equalTo("kitchen-1"))
                .body("[0].token", nullValue())
                .body("[0].token_hash", nullValue())
                .body("[0].has_token", equalTo(true))
                .body(not(org.hamcrest.Matchers.containsString(token)));
    }

    @Test
    void everyCreatedDeviceGetsADifferentToken() {
        assertThat(Admin.createDevice("a-1")).isNotEqualTo(Admin.createDevice("a-2"));
    }

    @Test
    void creatingAnExistingDeviceIsAConflictAndKeepsItsToken() {
        String token = Admin.createDevice("hall-1");

        given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body(Map.of("device_id", "hall-1"))
                .post("/admin/devices").then().statusCode(409).body("error", equalTo("device_exists"));

        assertThat(hash(StreamKeys.device("hall-1"))).containsEntry("token_hash", DeviceTokens.hash(token));
    }

    @Test
    void anInvalidDeviceIdIsRefused() {
        given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body(Map.of("device_id", "bad{id}"))
                .post("/admin/devices").then().statusCode(400).body("error", equalTo("invalid_device_id"));
    }

    @Test
    void withoutTheAdminTokenNothingIsAllowed() {
        given().get("/admin/devices").then().statusCode(401);
        given().auth().oauth2("wrong").get("/admin/devices").then().statusCode(401);
        given().auth().oauth2("wrong").contentType(ContentType.JSON).body(Map.of("device_id", "x-1"))
                .post("/admin/devices").then().statusCode(401);

        assertThat(hash(StreamKeys.device("x-1"))).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith400() {
        given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body("{\"device_id\":")
                .post("/admin/devices").then().statusCode(400).body("error", equalTo("invalid_body"));
    }

    @Test
    void revokeRemovesTheTokenAndDisablesTheDevice() {
        Admin.createDevice("porch-1");

        Admin.revoke("porch-1");

        assertThat(hash(StreamKeys.device("porch-1"))).containsEntry("token_hash", "").containsEntry("enabled", "0");
        given().auth().oauth2(Admin.TOKEN).get("/admin/devices").then().body("[0].has_token", equalTo(false))
                .body("[0].enabled", equalTo(false));
    }

    @Test
    void revokingAnUnknownDeviceIsNotFound() {
        given().auth().oauth2(Admin.TOKEN).post("/admin/devices/nobody/revoke").then().statusCode(404)
                .body("error", equalTo("unknown_device"));
    }

    @Test
    void aNewTokenReplacesTheOldOne() {
        String old = Admin.createDevice("desk-1");

        String fresh = given().auth().oauth2(Admin.TOKEN).post("/admin/devices/desk-1/token").then().statusCode(200)
                .extract().path("token");

        assertThat(fresh).isNotEqualTo(old);
        assertThat(hash(StreamKeys.device("desk-1"))).containsEntry("token_hash", DeviceTokens.hash(fresh));
    }

    @Test
    void setPolicyChangesTheDefaultPolicy() {
        Admin.createDevice("car-1");

        given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body(Map.of("policy", "cost"))
                .put("/admin/devices/car-1/policy").then().statusCode(200).body("policy", equalTo("cost"));

        assertThat(hash(StreamKeys.device("car-1"))).containsEntry("policy", "cost");
    }

    @Test
    void anUnknownPolicyIsRefused() {
        Admin.createDevice("car-2");

        given().auth().oauth2(Admin.TOKEN).contentType(ContentType.JSON).body(Map.of("policy", "fastest"))
                .put("/admin/devices/car-2/policy").then().statusCode(400).body("error", equalTo("invalid_policy"));
    }

    private Map<String, String> hash(String key) {
        Response reply = redis.send(Request.cmd(Command.HGETALL).arg(key));
        Map<String, String> fields = new java.util.HashMap<>();
        if (reply.isMap()) {
            reply.getKeys().forEach(k -> fields.put(k, reply.get(k).toString()));
        } else {
            for (int i = 0; i + 1 < reply.size(); i += 2) {
                fields.put(reply.get(i).toString(), reply.get(i + 1).toString());
            }
        }
        return fields;
    }
}
