/*
 * MedSeg's scalar-lifetime shim for TorchSharp 0.107 (Linux).
 *
 * TorchSharp passes the native handle of a temporary Scalar (every implicit conversion: x + 0.5, x + y's alpha 1,
 * BatchNorm's counter, optimizer coefficients) to libtorch without keeping the managed object alive. A garbage
 * collection started by another thread can finalize it during the call; the finalizer frees the c10::Scalar and
 * libtorch reads freed memory: "argument alpha must not be a floating point number" or a silently wrong value.
 *
 * This library is what TorchSharp's P/Invokes bind to (see ScalarLifetimeShim.cs). It defines one function,
 * THSTorch_dispose_scalar, which delays each free until DEFERRED later disposals; every other symbol comes from
 * libLibTorchSharp.so, its only dependency, found next to it through RUNPATH $ORIGIN. A scalar in use is never
 * freed under a running call: the call would have to outlast 65,536 further disposals. Cost: at most 65,536
 * c10::Scalar objects (~2 MB) waiting to be freed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>

#define DEFERRED 65536

typedef void (*dispose_scalar_fn)(void *);

static void *pending[DEFERRED];
static size_t next_slot;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static dispose_scalar_fn libtorchsharp_dispose_scalar;

void THSTorch_dispose_scalar(void *scalar)
{
    pthread_mutex_lock(&lock);
    if (libtorchsharp_dispose_scalar == NULL)
    {
        libtorchsharp_dispose_scalar = (dispose_scalar_fn)dlsym(RTLD_NEXT, "THSTorch_dispose_scalar");
    }
    void *oldest = pending[next_slot];
    pending[next_slot] = scalar;
    next_slot = (next_slot + 1) % DEFERRED;
    pthread_mutex_unlock(&lock);
    if (oldest != NULL && libtorchsharp_dispose_scalar != NULL)
    {
        libtorchsharp_dispose_scalar(oldest);
    }
}

/* How many disposals a scalar's free is delayed by; lets MedSeg check that the shim is the library it bound to. */
int medseg_scalar_lifetime_deferred(void)
{
    return DEFERRED;
}
