"""Products and norms: dot, matmul (batched and broadcast), einsum, tensordot, norms."""

from __future__ import annotations

from mini_ad.comparisons.registry import A, case


@case("linalg", A(4), A(4))
def dot_vectors(np, x, y):
    return np.dot(x, y) * np.vdot(x, x) + np.inner(x, y)


@case("linalg", A(3, 4), A(4))
def matvec(np, m, x):
    return np.tanh(m @ x)


@case("linalg", A(2, 3), A(3, 4))
def matmul(np, a, b):
    return np.matmul(a, b) ** 2


@case("linalg", A(3), A(3, 2))
def vecmat(np, x, m):
    return x @ m + np.dot(x, m)


@case("linalg", A(2, 3, 4), A(2, 4, 2))
def batched_matmul(np, a, b):
    return a @ b


@case("linalg", A(3, 4), A(2, 4, 2))
def broadcast_matmul(np, a, b):
    return np.sum(np.sin(a @ b))


@case("linalg", A(3, 3))
def quadratic_form(np, a):
    x = np.arange(1.0, 4.0)
    return x @ (a @ a.T) @ x + np.sum(a * a.T)


@case("linalg", A(2, 3), A(3, 4))
def einsum_matmul(np, a, b):
    return np.einsum("ij,jk->ik", a, b) + np.einsum("ij,jk->ki", a, b).T


@case("linalg", A(2, 3), A(2, 3))
def einsum_full_contraction(np, a, b):
    return np.einsum("ij,ij->", a, b) + np.einsum("ij,ij->i", a, b).sum()


@case("linalg", A(2, 3, 4), A(2, 4, 5))
def einsum_batched(np, a, b):
    return np.einsum("bij,bjk->bik", a, b)


@case("linalg", A(3), A(4))
def einsum_outer(np, x, y):
    return np.einsum("i,j->ij", x, y) + np.outer(x, y)


@case("linalg", A(2, 3, 4), A(4, 3))
def tensordot_axes(np, a, b):
    return np.tensordot(a, b, axes=([1, 2], [1, 0])) + np.tensordot(a, b, axes=1).sum(axis=(1, 2))


@case("linalg", A(5))
def vector_norms(np, x):
    return np.linalg.norm(x) + np.linalg.norm(x, ord=1) + np.linalg.norm(x, ord=np.inf)


@case("linalg", A(3, 4))
def matrix_norms(np, m):
    return np.linalg.norm(m) + np.linalg.norm(m, axis=1).sum() + np.linalg.norm(m, "fro")


@case("linalg", A(4, 3), A(3), A(4))
def least_squares_loss(np, x, w, y):
    r = x @ w - y
    return 0.5 * np.dot(r, r) / r.shape[0]


@case("linalg", A(3, 3), A(3))
def power_iteration(np, a, v):
    m = a @ a.T + np.eye(3)
    for _ in range(3):
        v = m @ v
        v = v / np.linalg.norm(v)
    return v @ m @ v


@case("linalg", A(3), A(3))
def cross_product(np, a, b):
    return np.cross(a, b) * np.cross(b, a**2)


# --- decompositions and solves (unsupported until mini_ad has them) ---------------------------


def _spd(np, a):
    return a @ a.T + 3.0 * np.eye(a.shape[0])


@case("linalg", A(3, 3), A(3))
def inv_and_solve(np, a, b):
    m = _spd(np, a)
    return np.linalg.inv(m) @ b + np.linalg.solve(m, b**2)


@case("linalg", A(3, 3))
def det_and_slogdet(np, a):
    sign, logdet = np.linalg.slogdet(_spd(np, a))
    return np.linalg.det(a + 2.0 * np.eye(3)) + sign * logdet


@case("linalg", A(3, 3))
def cholesky(np, a):
    return np.linalg.cholesky(_spd(np, a))


@case("linalg", A(3, 3))
def symmetric_eigenvalues_and_singular_values(np, a):
    return np.linalg.eigvalsh(_spd(np, a)) + np.linalg.svd(a + 2.0 * np.eye(3), compute_uv=False)
