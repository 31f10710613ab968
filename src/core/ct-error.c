#define G_LOG_DOMAIN "casetrail-core"

#include "config.h"

#include "ct-error.h"
#include "ct-crypto.h"

G_DEFINE_QUARK (ct-error-quark, ct_error)

int
ct_error_to_exit_code (const GError *error)
{
  if (error == NULL)
    return CT_EXIT_OK;

  if (error->domain == CT_ERROR)
    {
      switch ((CtError) error->code)
        {
        case CT_ERROR_BLOCKED:
          return CT_EXIT_BLOCKED;
        case CT_ERROR_INTEGRITY:
          return CT_EXIT_INTEGRITY;
        default:
          return CT_EXIT_ERROR;
        }
    }

  if (error->domain == CT_CRYPTO_ERROR && error->code == CT_CRYPTO_ERROR_BAD_SIGNATURE)
    return CT_EXIT_INTEGRITY;

  return CT_EXIT_ERROR;
}
