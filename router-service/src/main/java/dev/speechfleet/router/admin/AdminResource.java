package dev.speechfleet.router.admin;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Admin REST API; every call needs the admin token ({@link AdminTokenFilter}). */
@Path("/admin/devices")
public class AdminResource {

    private final DeviceAdmin admin;

    AdminResource(DeviceAdmin admin) {
        this.admin = admin;
    }

    @POST
    public Response create(AdminDtos.CreateDevice request) {
        return Response.status(201).entity(admin.create(request)).build();
    }

    @GET
    public List<AdminDtos.DeviceView> list() {
        return admin.list();
    }

    @POST
    @Path("/{id}/revoke")
    public Response revoke(@PathParam("id") String deviceId) {
        admin.revoke(deviceId);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/token")
    public AdminDtos.DeviceWithToken rotate(@PathParam("id") String deviceId) {
        return admin.rotate(deviceId);
    }

    @PUT
    @Path("/{id}/policy")
    public AdminDtos.DeviceView setPolicy(@PathParam("id") String deviceId, AdminDtos.SetPolicy request) {
        return admin.setPolicy(deviceId, request);
    }
}
