package dev.speechfleet.router.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.Map;

/** Admin API calls for tests, with the admin token of the test configuration. */
public final class Admin {

    public static final String TOKEN = "test-admin-token";

    private Admin() {
    }

    /** Creates a device and returns its token. */
    public static String createDevice(String deviceId) {
        return given().auth().oauth2(TOKEN).contentType(ContentType.JSON).body(Map.of("device_id", deviceId))
                .post("/admin/devices").then().statusCode(201).extract().path("token");
    }

    public static void revoke(String deviceId) {
        given().auth().oauth2(TOKEN).post("/admin/devices/" + deviceId + "/revoke").then().statusCode(204);
    }
}
