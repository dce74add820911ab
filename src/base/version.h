/* The one place the version number lives. */
#ifndef SW_VERSION_H
#define SW_VERSION_H

#define SMTPWIZ_VERSION "0.1.0"

#endif
