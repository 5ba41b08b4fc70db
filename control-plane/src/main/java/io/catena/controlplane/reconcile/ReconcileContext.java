package io.catena.controlplane.reconcile;

import io.catena.controlplane.driver.ClusterDriver;
import io.catena.controlplane.mgmtd.MgmtdAdmin;
import io.catena.controlplane.tenant.TenantAdmin;
import io.catena.controlplane.tenant.TenantTokens;

/** What the steps work with: the desired layout, the driver, mgmtd, meta's tenants, tokens. */
public record ReconcileContext(
    ClusterLayout layout,
    ClusterDriver driver,
    MgmtdAdmin mgmtd,
    TenantAdmin tenants,
    TenantTokens tokens) {}
