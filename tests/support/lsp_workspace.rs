//! The small workspace the language-server tests open: a complete controller and a newsletter
//! sent through a processor (each test file adds its own `party mailco`).
#![allow(dead_code)]

pub const CONTROLLER: &str = "controller example \"Example B.V.\" {
  country NL; contact \"privacy@example.nl\"; notice \"https://example.nl/privacy\"
  dpo \"dpo@example.nl\"
  measures access-control, encryption, https, logging
  rights {
    access \"privacy@example.nl\"; rectification \"privacy@example.nl\"; erasure \"privacy@example.nl\"
    restriction \"privacy@example.nl\"; objection \"privacy@example.nl\"
    withdraw-consent \"privacy@example.nl\"; human-intervention \"privacy@example.nl\"
    portability \"privacy@example.nl\" { format json, csv }
    verify-identity \"reply from the e-mail address on file\"
  }
}
";

pub const ACTIVITIES: &str = "activity newsletter \"Newsletter\" {
  purpose newsletter-mail
  basis consent { evidence \"signup form log\"; notice \"https://example.nl/privacy\" }
  subjects customers
  data email
  retention until-withdrawn
  recipient mailco
}

purpose newsletter-mail \"Sending the newsletter\" { kind marketing }
";
