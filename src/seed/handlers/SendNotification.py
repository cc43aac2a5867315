import json
from datetime import datetime

def lambda_handler(event, context):
    """
    Envoie une notification de succès.
    """
    print(f"SendNotification - Event reçu: {json.dumps(event)}")
    
    result = event.get('result', {})
    
    # Simuler l'envoi d'un email
    notification = {
        'type': 'EMAIL',
        'to': result.get('email', 'unknown@example.com'),
        'subject': f"Commande {result.get('orderId', 'N/A')} confirmée",
        'body': f"""
        Bonjour {result.get('customer', 'Client')},
        
        Votre commande a été traitée avec succès.
        
        Détails :
        - Numéro de commande : {result.get('orderId')}
        - Montant HT : {result.get('amount')}€
        - TVA (20%) : {result.get('tax')}€
        - Total TTC : {result.get('total')}€
        
        Merci pour votre confiance !
        """,
        'sentAt': datetime.utcnow().isoformat(),
        'status': 'SENT'
    }
    
    return {
        'statusCode': 200,
        'message': 'Notification envoyée',
        'notification': notification,
        'workflowStatus': 'COMPLETED'
    }
