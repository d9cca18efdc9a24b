/* Tests of the properties module (Å, eV, GPa, J/m^2) against values published for each potential:
 *  - eam-pt, Zhou, Johnson and Wadley, Phys. Rev. B 69, 144113 (2004): fitted to a0 = 3.92 Å
 *    (r_e sqrt2 = 3.9201 Å) and E_coh = 5.77 eV (the F_e, phi parameters reproduce it at r_e);
 *    our taper moves a0 by less than 1e-3 Å. Its bulk modulus and surface energies are printed,
 *    not tested (not read in the paper).
 *  - Pt_u3.eam, Foiles, Baskes and Daw, Phys. Rev. B 33, 7983 (1986): fitted to a0 = 3.92 Å,
 *    E_s = 5.77 eV (a0 is also in the file's second line) and
 *    B = 2.83e12 erg/cm^3 = 283 GPa; its relaxed surface energies (100) 1650 and (111) 1440
 *    erg/cm^2. B and the surface energies are quoted from the paper's tables as remembered, not
 *    re-read for this test; the computed values reproduce them to 3 digits.
 *  - morse-pt (OptBench / eOn Pt Morse): a0 = 3.881 Å from the fcc lattice sum (nearest neighbour
 *    2.74412 Å on the benchmark page), see REFERENCE-DATA.md.
 * Physics that holds for any sensible fcc metal potential is tested too: gamma(111) < gamma(100),
 * and relaxation lowers a surface energy but by a few per cent only. E(a) is checked to be at a
 * minimum at a0 by energies on either side, independently of the Brent search. */
#include "gn_test.h"
#include "gapneb/pot_eam.h"
#include "gapneb/properties.h"

#include <unistd.h>

#define PT 78
#define PT_U3 "/usr/share/lammps/potentials/Pt_u3.eam"

static void show(const char *name, const gn_properties *o)
{
    print_message("  %-9s a0 %.5f Å  E_coh %.4f eV/atom  B %.1f GPa  gamma(100) %.4f J/m^2 "
                  "(%.4f eV/atom)  gamma(111) %.4f J/m^2 (%.4f eV/atom)\n",
                  name, o->a0, o->ecoh, o->bulk_modulus, o->gamma100, o->gamma100_ev,
                  o->gamma111, o->gamma111_ev);
    if (o->relaxed)
        print_message("  %-9s relaxed: gamma(100) %.4f J/m^2 (%.4f eV/atom)  gamma(111) %.4f "
                      "J/m^2 (%.4f eV/atom)\n",
                      name, o->gamma100_relaxed, o->gamma100_relaxed_ev, o->gamma111_relaxed,
                      o->gamma111_relaxed_ev);
}

static void generic_checks(const gn_potential *p, const gn_properties *o)
{
    gn_error err;
    double e0, em, ep;
    gn_assert_ok(gn_fcc_energy(p, PT, o->a0, &e0, &err), &err);
    gn_assert_ok(gn_fcc_energy(p, PT, o->a0 - 1e-3, &em, &err), &err);
    gn_assert_ok(gn_fcc_energy(p, PT, o->a0 + 1e-3, &ep, &err), &err);
    assert_true(e0 < em && e0 < ep);
    gn_assert_near(-e0, o->ecoh, 1e-12);
    /* curvature check of B by a coarser, independent difference in a: B = (4/9a) d2E/da2 ... */
    double h = 2e-3;
    gn_assert_ok(gn_fcc_energy(p, PT, o->a0 - h, &em, &err), &err);
    gn_assert_ok(gn_fcc_energy(p, PT, o->a0 + h, &ep, &err), &err);
    /* at the minimum, V = a^3/4: d2E/dV2 = (d2E/da2) / (dV/da)^2, dV/da = 3a^2/4 */
    double d2a = (em - 2 * e0 + ep) / (h * h), dvda = 0.75 * o->a0 * o->a0;
    double b = (o->a0 * o->a0 * o->a0 / 4) * d2a / (dvda * dvda) * GN_EV_PER_A3_IN_GPA;
    gn_assert_near(o->bulk_modulus, b, 0.005 * b);
    assert_true(o->gamma111 < o->gamma100);
    gn_assert_near(o->gamma100_ev, o->gamma100 * (o->a0 * o->a0 / 2) / GN_EV_PER_A2_IN_J_PER_M2,
                   1e-9);
    if (o->relaxed) {
        assert_true(o->gamma100_relaxed <= o->gamma100 + 1e-9);
        assert_true(o->gamma111_relaxed <= o->gamma111 + 1e-9);
        assert_true(o->gamma100_relaxed > 0.9 * o->gamma100);
        assert_true(o->gamma111_relaxed > 0.9 * o->gamma111);
    }
}

static void test_eam_pt(void **state)
{
    (void)state;
    gn_potential *p;
    gn_error err;
    gn_properties o;
    gn_assert_ok(gn_pot_eam_pt_alloc(&p, &err), &err);
    gn_assert_ok(gn_properties_compute(p, PT, 1, &o, &err), &err);
    show("eam-pt", &o);
    gn_assert_near(o.a0, 3.92, 0.005);
    gn_assert_near(o.ecoh, 5.77, 0.01);
    generic_checks(p, &o);
    gn_potential_free(p);
}

static void test_pt_u3(void **state)
{
    (void)state;
    if (access(PT_U3, R_OK) != 0)
        skip();
    gn_potential *p;
    gn_error err;
    gn_properties o;
    gn_assert_ok(gn_pot_eam_file_alloc(PT_U3, &p, &err), &err);
    gn_assert_ok(gn_properties_compute(p, PT, 1, &o, &err), &err);
    show("Pt_u3", &o);
    gn_assert_near(o.a0, 3.92, 0.005);
    gn_assert_near(o.ecoh, 5.77, 0.01);
    gn_assert_near(o.bulk_modulus, 283.0, 0.02 * 283.0);
    gn_assert_near(o.gamma100_relaxed, 1.65, 0.01);
    gn_assert_near(o.gamma111_relaxed, 1.44, 0.01);
    generic_checks(p, &o);
    gn_potential_free(p);
}

static void test_pair_potentials(void **state)
{
    (void)state;
    gn_potential *p;
    gn_error err;
    gn_properties o;
    gn_assert_ok(gn_potential_alloc("morse-pt", &p, &err), &err);
    gn_assert_ok(gn_properties_compute(p, PT, 0, &o, &err), &err);
    show("morse-pt", &o);
    gn_assert_near(o.a0, 3.881, 0.002);
    generic_checks(p, &o);
    gn_potential_free(p);
    gn_assert_ok(gn_potential_alloc("lj-pt", &p, &err), &err);
    gn_assert_ok(gn_properties_compute(p, PT, 0, &o, &err), &err);
    show("lj-pt", &o);
    generic_checks(p, &o);
    gn_potential_free(p);
}

static void test_slab_geometry(void **state)
{
    (void)state;
    gn_error err;
    gn_atoms *s;
    /* nearest neighbours in a (111) slab are a0/sqrt2 apart, in plane and between layers */
    gn_assert_ok(gn_fcc_slab(PT, 4.0, 111, 3, &s, &err), &err);
    for (size_t i = 0; i + 1 < s->n; i++) {
        double d[3];
        gn_atoms_displacement(s, i, i + 1, d);
        gn_assert_near(sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]), 4.0 / sqrt(2.0), 1e-12);
    }
    gn_atoms_free(s);
    gn_assert_ok(gn_fcc_slab(PT, 4.0, 100, 3, &s, &err), &err);
    double d[3];
    gn_atoms_displacement(s, 0, 1, d);
    gn_assert_near(sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]), 4.0 / sqrt(2.0), 1e-12);
    gn_atoms_free(s);
    assert_int_equal(gn_fcc_slab(PT, 4.0, 110, 3, &s, &err), GN_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slab_geometry),
        cmocka_unit_test(test_eam_pt),
        cmocka_unit_test(test_pt_u3),
        cmocka_unit_test(test_pair_potentials),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
