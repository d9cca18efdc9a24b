"""Writes the two endpoints of the example: a Pt adatom in neighbouring hollows above a fixed
3 x 2 patch of Pt(100) (nearest-neighbour distance 3.92/sqrt(2) = 2.772 A), free in x, y, z.
Only the adatom moves (move_mask)."""
b = 3.92 / 2 ** 0.5
patch = [(i * b, j * b, 0.0) for i in range(3) for j in range(2)]
for name, x in (("initial.xyz", 0.5 * b), ("final.xyz", 1.5 * b)):
    with open(name, "w") as f:
        f.write("%d\nProperties=species:S:1:pos:R:3:move_mask:L:1 pbc=\"F F F\"\n"
                % (len(patch) + 1))
        for r in patch:
            f.write("Pt %14.10f %14.10f %14.10f F\n" % r)
        f.write("Pt %14.10f %14.10f %14.10f T\n" % (x, 0.5 * b, 1.8))
